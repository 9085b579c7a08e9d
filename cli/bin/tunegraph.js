#!/usr/bin/env node
// Committed (not compiled) so npm can link the bin at install time, before the first build.
require('../dist/main.js');
