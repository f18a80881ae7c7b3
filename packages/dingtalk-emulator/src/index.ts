/**
 * @zwgk/dingtalk-emulator — a loopback DingTalk emulator: the Stream gateway and its WebSocket
 * frames, oauth2 access tokens, robot `groupMessages/send`, session webhooks, a control API for tests
 * and tools, and a web page that shows the groups as members see them.
 */
export { startEmulator, SANDBOX_APP, DEFAULT_PORT } from './server.js';
export type { Emulator, EmulatorOptions } from './server.js';
export type { UserMessageInput } from './control.js';
export type { Logger } from './stream.js';
export type { PageExtras } from './page.js';
export { renderMarkdown, renderPlainText } from './markdown.js';
export { TOPIC_ROBOT, MSG_KEYS } from './protocol.js';
export type { RobotMessageData, DownstreamFrame } from './protocol.js';
export type {
  ActionCardButton,
  ChatMessage,
  ConnectionInfo,
  Counters,
  DeliveryAttempt,
  DeliveryRecord,
  EmulatorApp,
  EmulatorEvent,
  EmulatorSnapshot,
  FaultInput,
  FaultState,
  Group,
  GroupInput,
  Limits,
  Member,
  MessageType,
  MessageVia,
  Result,
  SendTarget,
} from './types.js';
