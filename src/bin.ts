#!/usr/bin/env node
import { main } from './cli.js';
import { streamOutput } from './output.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: streamOutput(process.stdout),
  stderr: streamOutput(process.stderr),
  env: process.env,
  cwd: process.cwd(),
});
