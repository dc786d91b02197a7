import type { Command } from '../command.js';
import { ackCommand, getCommand, parseCommand } from './codec-commands.js';
import { backupCommand, migrateCommand, startCommand } from './engine-commands.js';
import { sendCommand } from './send.js';
import { testCommand } from './test-command.js';
import { convertCommand } from './convert.js';
import { simulateCommand } from './simulate.js';
import { auditCommand } from './audit.js';
import { catalogCommand, migrateChannelCommand } from './catalog.js';
import { contractsCommand } from './contracts.js';
import { diffCommand, rollbackCommand } from './releases.js';
import { dlqCommand, messagesCommand, reloadCommand, replayCommand } from './remote-commands.js';

export const allCommands: Command[] = [
  startCommand,
  migrateCommand,
  backupCommand,
  parseCommand,
  getCommand,
  ackCommand,
  sendCommand,
  messagesCommand,
  dlqCommand,
  replayCommand,
  reloadCommand,
  testCommand,
  convertCommand,
  simulateCommand,
  auditCommand,
  catalogCommand,
  migrateChannelCommand,
  diffCommand,
  rollbackCommand,
  contractsCommand,
];
