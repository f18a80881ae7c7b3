/**
 * @zwgk/dingtalk-emulator — a loopback DingTalk emulator: the Stream gateway and its WebSocket
 * frames, oauth2 access tokens, robot `groupMessages/send`, session webhooks, interactive cards, a control API for tests
 * and tools, and a web page that shows the groups as members see them.
 */
export { startEmulator, SANDBOX_APP, DEFAULT_PORT } from './server.js';
export type { Emulator, EmulatorOptions } from './server.js';
export type { UserMessageInput } from './control.js';
export type { Logger } from './stream.js';
export type { PageExtras } from './page.js';
export { renderMarkdown, renderPlainText } from './markdown.js';
export { TOPIC_ROBOT, MSG_KEYS } from './protocol.js';
export { TOPIC_CARD, IM_GROUP_SPACE, cardCallbackData, parseButtons } from './cards.js';
export type { CardTemplate, CardInstance, CardClickInput, CardClickResult, CardCallbackData } from './cards.js';
export type { RobotMessageData, DownstreamFrame } from './protocol.js';
export type {
  ActionCardButton,
  CardButton,
  CardView,
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
