// @ts-check
/**
 * Type errors in one kata's files, for watch mode's screen: a warm TypeScript
 * language service with the project's tsconfig.json. Only the kata's files are
 * checked (their imports are read, not checked), and a file is parsed again
 * only when its modification time changes, so a check after a save costs a
 * fraction of `tsc -p .`.
 *
 * Protocol (process.send): in { id, files: string[] (absolute) }  out { id, problems } or { id, error }
 * Plain CommonJS so it forks without a TypeScript loader.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require(require.resolve('typescript', { paths: [process.cwd(), __dirname] }));

const cwd = process.cwd();
const configFile = ts.findConfigFile(cwd, ts.sys.fileExists, 'tsconfig.json');
/** @type {import('typescript').CompilerOptions} */
let options = { strict: true, noEmit: true };
if (configFile) {
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (parsed) options = { ...parsed.options, noEmit: true };
}

/** @type {string[]} */
let roots = [];

/** @param {string} file */
function version(file) {
  try {
    return String(fs.statSync(file).mtimeMs);
  } catch {
    return '0';
  }
}

/** @type {import('typescript').LanguageServiceHost} */
const host = {
  getScriptFileNames: () => roots,
  getScriptVersion: version,
  getScriptSnapshot: (file) => (fs.existsSync(file) ? ts.ScriptSnapshot.fromString(fs.readFileSync(file, 'utf8')) : undefined),
  getCurrentDirectory: () => cwd,
  getCompilationSettings: () => options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());

process.on('message', (/** @type {{ id: number, files: string[] }} */ message) => {
  try {
    roots = message.files;
    const problems = message.files.flatMap((file) =>
      [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)].map((d) => {
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        return {
          file: path.relative(cwd, file).split(path.sep).join('/'),
          line: at.line + 1,
          column: at.character + 1,
          code: d.code,
          message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
        };
      }),
    );
    process.send?.({ id: message.id, problems });
  } catch (error) {
    process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
