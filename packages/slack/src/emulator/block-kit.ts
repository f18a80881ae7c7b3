/**
 * Block Kit buttons for the Slack emulator: the checks Slack makes on interactive elements in `chat.postMessage`
 * and `chat.update` (answered `invalid_blocks`), finding a button in a message, and the `block_actions`
 * interaction payload Slack sends over Socket Mode when someone clicks it (envelope type `interactive`).
 *
 * Sources: Slack's Block Kit reference (actions block: at most 25 elements; button: `text` plain_text of at most
 * 75 characters, `action_id` at most 255 and unique within its block, `value` at most 2 000, `url` at most 3 000,
 * `style` primary or danger) and the block_actions payload reference.
 */

/** A button element as Block Kit defines it (the fields the emulator reads). */
export interface ButtonElement {
  type: 'button';
  text: { type: 'plain_text'; text: string; emoji?: boolean };
  action_id?: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkButton(b: Record<string, unknown>, where: string): string | undefined {
  const text = b.text;
  if (!isObject(text) || text.type !== 'plain_text' || typeof text.text !== 'string' || text.text === '') return `${where}.text must be a plain_text object with text`;
  if (text.text.length > 75) return `${where}.text.text must be at most 75 characters`;
  if (b.action_id !== undefined && (typeof b.action_id !== 'string' || b.action_id === '' || b.action_id.length > 255)) return `${where}.action_id must be a string of 1–255 characters`;
  if (b.value !== undefined && (typeof b.value !== 'string' || b.value.length > 2_000)) return `${where}.value must be a string of at most 2000 characters`;
  if (b.url !== undefined && (typeof b.url !== 'string' || b.url.length > 3_000)) return `${where}.url must be a string of at most 3000 characters`;
  if (b.style !== undefined && b.style !== 'primary' && b.style !== 'danger') return `${where}.style must be primary or danger`;
  return undefined;
}

/**
 * Checks the interactive parts of a block list: `actions` blocks (1–25 elements, buttons valid, action ids unique
 * within the block) and button accessories of sections. Returns what is wrong, in Slack's `errors` wording style,
 * or undefined. Other element types are left alone.
 */
export function checkInteractiveBlocks(blocks: unknown[]): string | undefined {
  for (const [i, block] of blocks.entries()) {
    if (!isObject(block)) continue;
    if (block.block_id !== undefined && (typeof block.block_id !== 'string' || block.block_id === '' || block.block_id.length > 255)) {
      return `[json-pointer:/blocks/${i}/block_id] must be a string of 1–255 characters`;
    }
    if (block.type === 'actions') {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0) return `[json-pointer:/blocks/${i}/elements] must be a non-empty array`;
      if (elements.length > 25) return `[json-pointer:/blocks/${i}/elements] must have at most 25 items`;
      const seen = new Set<string>();
      for (const [j, el] of elements.entries()) {
        if (!isObject(el) || typeof el.type !== 'string') return `[json-pointer:/blocks/${i}/elements/${j}] must be an element with a type`;
        if (el.type !== 'button') continue;
        const why = checkButton(el, `[json-pointer:/blocks/${i}/elements/${j}]`);
        if (why) return why;
        if (typeof el.action_id === 'string') {
          if (seen.has(el.action_id)) return `[json-pointer:/blocks/${i}/elements/${j}/action_id] duplicate action_id ${el.action_id} in the block`;
          seen.add(el.action_id);
        }
      }
    }
    if (block.type === 'section' && isObject(block.accessory) && block.accessory.type === 'button') {
      const why = checkButton(block.accessory, `[json-pointer:/blocks/${i}/accessory]`);
      if (why) return why;
    }
  }
  return undefined;
}

/** A button found in a message, with the id of its block. */
export interface FoundButton {
  button: ButtonElement;
  blockId: string;
}

/** The message's buttons, in order (actions blocks' elements and section accessories). */
export function buttonsOf(blocks: unknown[] | undefined): FoundButton[] {
  const out: FoundButton[] = [];
  for (const [i, block] of (blocks ?? []).entries()) {
    if (!isObject(block)) continue;
    // Slack gives a block without a block_id one of its own; the emulator names it by position.
    const blockId = typeof block.block_id === 'string' ? block.block_id : `block-${i}`;
    if (block.type === 'actions' && Array.isArray(block.elements)) {
      for (const el of block.elements) if (isObject(el) && el.type === 'button') out.push({ button: el as unknown as ButtonElement, blockId });
    }
    if (block.type === 'section' && isObject(block.accessory) && block.accessory.type === 'button') out.push({ button: block.accessory as unknown as ButtonElement, blockId });
  }
  return out;
}

/** What a `block_actions` payload needs. */
export interface BlockActionsInput {
  teamId: string;
  appId: string;
  user: { id: string; name: string };
  channel: { id: string; name: string };
  /** The message as `chat.postMessage` answered it (`message`). */
  message: Record<string, unknown>;
  messageTs: string;
  found: FoundButton;
  /** Unique per click: `<seconds>.<micro>`. */
  actionTs: string;
  triggerId: string;
  responseUrl: string;
}

/** The interaction payload of a button click (`payload` of an `interactive` Socket Mode envelope). */
export function blockActionsPayload(input: BlockActionsInput): Record<string, unknown> {
  const { button, blockId } = input.found;
  const action: Record<string, unknown> = {
    action_id: button.action_id ?? `${blockId}-button`,
    block_id: blockId,
    text: { type: 'plain_text', text: button.text.text, emoji: button.text.emoji ?? true },
    type: 'button',
    action_ts: input.actionTs,
  };
  if (button.value !== undefined) action.value = button.value;
  if (button.style !== undefined) action.style = button.style;
  if (button.url !== undefined) action.url = button.url;
  return {
    type: 'block_actions',
    user: { id: input.user.id, username: input.user.id.toLowerCase(), name: input.user.name, team_id: input.teamId },
    api_app_id: input.appId,
    token: 'emulator-verification-token',
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channel.id, is_ephemeral: false },
    trigger_id: input.triggerId,
    team: { id: input.teamId, domain: 'zwgk-emulator' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel.id, name: input.channel.name },
    message: input.message,
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [action],
  };
}
