#!/usr/bin/env node
console.log('loom: CLI under construction');
