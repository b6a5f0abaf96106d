#!/usr/bin/env node
// `npx kata …`: runs harness/cli/main.ts through tsx's CommonJS loader.
require('tsx/cjs');
require('./main.ts');
