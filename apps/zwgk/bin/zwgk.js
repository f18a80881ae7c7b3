#!/usr/bin/env node
import { main } from '../dist/cli.js';

// `zwgk plan --json | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
process.exitCode = await main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, columns });
