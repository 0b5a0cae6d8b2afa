// Module resolution hooks: imports written in a program module (a copy in the work directory) resolve as they would
// from the user's file, so `./util.js` and the project's node_modules packages are found.
let parents = {};

export async function initialize(data) {
  parents = data?.parents ?? {};
}

export async function resolve(specifier, context, nextResolve) {
  const userFile = context.parentURL ? parents[context.parentURL] : undefined;
  return nextResolve(specifier, userFile ? { ...context, parentURL: userFile } : context);
}
