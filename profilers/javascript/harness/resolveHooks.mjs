// Module resolution hooks: imports written in a program module (a copy in the work directory) resolve as they would
// from the user's file, so `./util.js` and the project's node_modules packages are found; where the project's compiler
// resolves otherwise than Node (TypeScript modules, tsconfig `paths`), the runner's redirects say where the import goes
// (profilers/javascript/projectImports.ts). Count runs do without the hooks where they can (importAnchors.ts).
/** Program module URL → the user's file URL it stands for (given as entries: see main.mjs for why not an object). */
let parents = new Map();
/** `user's file URL\nspecifier` → the URL to load. */
let redirects = new Map();

export async function initialize(data) {
  parents = new Map(data?.parents ?? []);
  redirects = new Map(data?.redirects ?? []);
}

export async function resolve(specifier, context, nextResolve) {
  const parentURL = context.parentURL ? (parents.get(context.parentURL) ?? context.parentURL) : undefined;
  const redirected = parentURL ? redirects.get(`${parentURL}\n${specifier}`) : undefined;
  if (redirected) return { url: redirected, shortCircuit: true };
  return nextResolve(specifier, parentURL ? { ...context, parentURL } : context);
}
