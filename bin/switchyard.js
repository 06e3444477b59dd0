#!/usr/bin/env node
import { runCli } from "../dist/cli/run-cli.js";

await runCli(process.argv);
