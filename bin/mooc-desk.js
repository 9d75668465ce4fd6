#!/usr/bin/env node
'use strict';
const path = require('node:path');
const runTs = require('./run-ts.js');
runTs(path.join(__dirname, '..', 'worker', 'src', 'cli', 'main.ts'));
