/** Python as the optimizer's prompts and reply parser see it. */
import { escapeRegExp, type LanguageDescriptor } from '../languageDescriptor.js';

export const pythonLanguage: LanguageDescriptor = {
  name: 'Python',
  fenceTag: 'python',
  standardLibrary: 'the Python standard library',
  correctnessGenerator: 'def correctness_inputs():',
  sizedGenerator: 'def sized_input(n: int):',
  seededRandom: 'random.Random(n)',
  fenceTags: new Set(['python', 'python3', 'py', 'py3', 'python2', 'ipython', 'pycon', 'sage']),
  topLevelFunctions: (code) => [...code.matchAll(/^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/gm)].map((m) => m[1] ?? ''),
  definesFunction(code, name) {
    // A method target ("Cache.lookup") is defined indented inside its class.
    const simpleName = name.split('.').pop() ?? name;
    const indent = name.includes('.') ? '[ \\t]*' : '';
    return new RegExp(`^${indent}(?:async[ \\t]+)?def[ \\t]+${escapeRegExp(simpleName)}[ \\t]*\\(`, 'm').test(code);
  },
  definesSupport: (code) => /^(?:(?:async[ \t]+)?def[ \t]|class[ \t]|import[ \t]|from[ \t]+\S+[ \t]+import[ \t]|@|[A-Za-z_]\w*[ \t]*(?::[^=\n]+)?=[^=])/m.test(code),
  looksLikeUsageExample: (code, functionName) =>
    /^>>>/m.test(code) ||
    /^(?:print|assert)\b/m.test(code) ||
    new RegExp(`^(?![ \\t]|(?:async[ \\t]+)?def[ \\t]|class[ \\t]).*\\b${escapeRegExp(functionName.split('.').pop() ?? functionName)}[ \\t]*\\(`, 'm').test(code),
  codeStartLine: /^(?:(?:async[ \t]+)?def[ \t]|class[ \t]|import[ \t]|from[ \t]+\S+[ \t]+import[ \t]|@\w)/,
  codeContinuationLine: /^(?:[ \t]|#|[)\]}]|(?:async[ \t]+)?def[ \t]|class[ \t]|import[ \t]|from[ \t]|@|if __name__|[A-Za-z_][\w.]*[ \t]*(?::[^=\n]+)?=|[A-Za-z_][\w.]*\()/,
  generatorFunctions: ['correctness_inputs', 'sized_input'],
  definesMethod: (code, _className, methodName) => new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${escapeRegExp(methodName)}[ \\t]*\\(`, 'm').test(code),
  methodReplyRule: (className, methodName) =>
    `Reply with the class containing only \`${methodName}\` and any new helper methods it needs (\`class ${className}:\` followed by ` +
    `\`def ${methodName}(...)\`); the class's other members stay as they are: do not repeat or change them. New module-level ` +
    'imports and helper functions go outside the class.',
  methodGeneratorNote: (className, _methodName, isStatic) =>
    isStatic
      ? `- The class \`${className}\` and the other classes of the file are predefined globals of the module: use them, do not import the file or redefine them.`
      : `- Each argument list starts with the receiver, a \`${className}\` instance, built with a fresh object per input. \`${className}\` and the ` +
        'other classes of the file are predefined globals of the module: use them, do not import the file or redefine them.',
  likelyCauseOfFailure,
};

/** What an exception raised on every input most likely means when the function runs in Perfloop's sandbox (see README). */
function likelyCauseOfFailure(type: string, message: string): string | undefined {
  switch (type) {
    case 'FileNotFoundError':
    case 'IsADirectoryError':
    case 'NotADirectoryError':
      return (
        'a file the function reads is not visible to it: it runs in a sandbox from an empty working directory, where only ' +
        "your file's directory and the system's are readable. Build the path from the module's own location " +
        '(`os.path.join(os.path.dirname(__file__), "data.csv")`), or pass the file\'s contents as an argument from the inputs module.'
      );
    case 'PermissionError':
      return 'the function opens a file the sandbox does not let it (it may not write outside its working directory, nor read secrets).';
    case 'ModuleNotFoundError':
    case 'ImportError':
      return (
        'an import fails: install the package in the interpreter Perfloop runs (`--python` / `perfloop.python`, e.g. your ' +
        "virtualenv's python); your file's directory is on sys.path, as when you run it from there."
      );
    case 'ConnectionError':
    case 'ConnectionRefusedError':
    case 'socket.gaierror':
    case 'urllib.error.URLError':
      return 'the function uses the network, which the sandbox does not reach.';
    default:
      return /Read-only file system/.test(message) ? 'the function writes a file outside its working directory, which the sandbox forbids.' : undefined;
  }
}
