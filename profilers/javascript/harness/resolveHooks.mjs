// Module resolution hooks: imports written in a program module (a copy in the work directory) resolve as they would
// from the user's file, so `./util.js` and the project's node_modules packages are found. Count runs do without them
// where they can (importAnchors.ts).
/** Program module URL → the user's file URL it stands for (given as entries: see main.mjs for why not an object). */
let parents = new Map();

export async function initialize(data) {
  parents = new Map(data?.parents ?? []);
}

export async function resolve(specifier, context, nextResolve) {
  const userFile = context.parentURL ? parents.get(context.parentURL) : undefined;
  return nextResolve(specifier, userFile ? { ...context, parentURL: userFile } : context);
}
