"""Deliberately broken variants of Python solutions, by pure `ast` transforms: the code is parsed and unparsed, never run.

Usage: python3 mutate.py JOB.json   (JOB: {"items": [{"id", "source"}], "perItem": N, "seed": S, "resultPath"})
Answer (in resultPath): {"mutants": [{"itemId", "operator", "site", "source"}]}, up to perItem per item, chosen with
the seed among every applicable site, spread over operators. Only code inside functions is mutated (not imports or
module constants). Mutants identical to the original or to each other, and mutants that do not compile, are dropped.

Operators: compare (flip < <= > >= == != in is), constant (integer n -> n + 1), range-bound (range stop -> stop - 1),
arith (+ <-> -, += <-> -=), boolop (and <-> or), negate-if (if c -> if not c), drop-statement (a statement -> pass),
return-value (return x -> return None; return True <-> return False).
"""
import ast
import copy
import json
import random
import sys

COMPARE_FLIPS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
ARITH_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add}
BOOL_SWAPS = {ast.And: ast.Or, ast.Or: ast.And}


def _function_nodes(tree):
    """Function definitions and every node inside them, in a fixed order (the same for a copy of the tree)."""
    nodes = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            nodes.extend(ast.walk(node))  # the def itself too: its body's statements can be dropped
    seen = set()
    return [n for n in nodes if not (id(n) in seen or seen.add(id(n)))]


def _is_docstring(statement):
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)


def _sites(node):
    """(operator, apply) pairs for one node; apply mutates the node (in a copy of the tree) in place."""
    sites = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARE_FLIPS:
                sites.append(("compare", lambda n, i=i: n.ops.__setitem__(i, COMPARE_FLIPS[type(n.ops[i])]())))
    if isinstance(node, ast.Constant) and type(node.value) is int:
        sites.append(("constant", lambda n: setattr(n, "value", n.value + 1)))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" and node.args and not node.keywords:
        index = 1 if len(node.args) >= 2 else 0
        sites.append(("range-bound", lambda n, k=index: n.args.__setitem__(k, ast.BinOp(n.args[k], ast.Sub(), ast.Constant(1)))))
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in ARITH_SWAPS:
        sites.append(("arith", lambda n: setattr(n, "op", ARITH_SWAPS[type(n.op)]())))
    if isinstance(node, ast.BoolOp) and type(node.op) in BOOL_SWAPS:
        sites.append(("boolop", lambda n: setattr(n, "op", BOOL_SWAPS[type(n.op)]())))
    if isinstance(node, (ast.If, ast.While)):
        sites.append(("negate-if", lambda n: setattr(n, "test", ast.UnaryOp(ast.Not(), n.test))))
    if isinstance(node, ast.Return) and node.value is not None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, bool):
            sites.append(("return-value", lambda n: setattr(n, "value", ast.Constant(not n.value.value))))
        elif not (isinstance(node.value, ast.Constant) and node.value.value is None):
            sites.append(("return-value", lambda n: setattr(n, "value", ast.Constant(None))))
    for field in ("body", "orelse", "finalbody"):
        body = getattr(node, field, None)
        if isinstance(body, list) and len(body) >= 2 and all(isinstance(s, ast.stmt) for s in body):
            for i, statement in enumerate(body):
                if _is_docstring(statement) or isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
                    continue
                sites.append(("drop-statement", lambda n, f=field, i=i: getattr(n, f).__setitem__(i, ast.Pass())))
    return sites


def mutants_of(source, per_item, rng):
    try:
        tree = ast.parse(source)
        original_text = ast.unparse(tree)
    except (SyntaxError, ValueError, RecursionError):
        return []
    nodes = _function_nodes(tree)
    sites = [(index, operator, k) for index, node in enumerate(nodes) for k, (operator, _) in enumerate(_sites(node))]
    rng.shuffle(sites)
    # Spread over operators: take the shuffled sites round-robin by operator.
    by_operator = {}
    for site in sites:
        by_operator.setdefault(site[1], []).append(site)
    order = []
    while any(by_operator.values()):
        for operator in sorted(by_operator):
            if by_operator[operator]:
                order.append(by_operator[operator].pop(0))
    produced, texts = [], {original_text}
    for index, operator, k in order:
        if len(produced) >= per_item:
            break
        mutated = copy.deepcopy(tree)
        node = _function_nodes(mutated)[index]
        _sites(node)[k][1](node)
        try:
            text = ast.unparse(ast.fix_missing_locations(mutated))
            compile(text, "<mutant>", "exec")
        except (SyntaxError, ValueError, TypeError, RecursionError):
            continue
        if text in texts:
            continue
        texts.add(text)
        produced.append({"operator": operator, "site": "%s at node %d" % (operator, index), "source": text})
    return produced


def main(path):
    with open(path, encoding="utf-8") as handle:
        job = json.load(handle)
    result = []
    for item in job["items"]:
        rng = random.Random("%s|%s" % (job["seed"], item["id"]))
        for mutant in mutants_of(item["source"], job["perItem"], rng):
            result.append(dict(mutant, itemId=item["id"]))
    # In place, not through a rename: the sandbox makes only this file writable (a rename onto it fails), and the
    # runner reads it once the process has ended, when a half-written file is invalid JSON, i.e. no answer.
    text = json.dumps({"mutants": result})
    with open(job["resultPath"], "w", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    main(sys.argv[1])
