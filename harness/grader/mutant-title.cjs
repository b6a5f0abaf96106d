// @ts-check
/**
 * The title of a grader spec's test for one mutant, shared by the grader
 * (which names the tests) and the progress reporter (which counts them to
 * record a testing kata's mutation score). Plain CommonJS for the reporter.
 */
const prefix = 'catches mutant "';

/** @param {string} name @param {string} behaviour */
function mutantTitle(name, behaviour) {
  return `${prefix}${name}": ${behaviour}`;
}

/** @param {string} title */
function isMutantTitle(title) {
  return title.startsWith(prefix);
}

module.exports = { mutantTitle, isMutantTitle };
