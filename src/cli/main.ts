#!/usr/bin/env node
import { runCli } from './run-cli.js';
import { allCommands } from './commands/index.js';

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
  env: process.env,
};

const code = await runCli(process.argv.slice(2), allCommands, io);
// Long-running commands (start) keep the process alive themselves and never return here.
process.exitCode = code;
