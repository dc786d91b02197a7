import type { Command } from '../command.js';
import { ackCommand, getCommand, parseCommand } from './codec-commands.js';
import { backupCommand, migrateCommand, startCommand } from './engine-commands.js';
import { dlqCommand, messagesCommand, reloadCommand, replayCommand } from './remote-commands.js';

export const allCommands: Command[] = [
  startCommand,
  migrateCommand,
  backupCommand,
  parseCommand,
  getCommand,
  ackCommand,
  messagesCommand,
  dlqCommand,
  replayCommand,
  reloadCommand,
];
