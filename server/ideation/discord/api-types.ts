/**
 * The small part of Discord's HTTP interaction and REST formats govrelay uses
 * (https://discord.com/developers/docs/interactions/receiving-and-responding).
 */

export const InteractionType = { Ping: 1, ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4, ModalSubmit: 5 } as const;

export const ResponseType = {
  Pong: 1,
  /** A message, now. */
  ChannelMessage: 4,
  /** "Thinking…" now; the message follows with PATCH /webhooks/{app}/{token}/messages/@original (within 15 minutes). */
  DeferredChannelMessage: 5,
  /** Component interactions only: acknowledge now, edit the component's message later. */
  DeferredUpdateMessage: 6,
  /** Component interactions only: replace the component's message now. */
  UpdateMessage: 7,
} as const;

export const MessageFlags = { Ephemeral: 1 << 6 } as const;
export const ComponentType = { ActionRow: 1, Button: 2, StringSelect: 3 } as const;
export const ButtonStyle = { Primary: 1, Secondary: 2, Success: 3, Danger: 4, Link: 5 } as const;
export const OptionType = { String: 3, Integer: 4, Boolean: 5 } as const;
export const Permission = { Administrator: 1n << 3n, ManageGuild: 1n << 5n } as const;

export interface DiscordUser {
  id: string;
  username: string;
  global_name?: string | null;
}

export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: CommandOption[];
}

export interface Interaction {
  id: string;
  application_id: string;
  type: number;
  token: string;
  version?: number;
  guild_id?: string;
  channel_id?: string;
  member?: { user: DiscordUser; permissions?: string };
  user?: DiscordUser;
  data?: {
    name?: string;
    options?: CommandOption[];
    custom_id?: string;
    component_type?: number;
    /** A select menu's chosen option values. */
    values?: string[];
  };
  message?: { id: string; channel_id: string };
}

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Embed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  fields?: EmbedField[];
  footer?: { text: string };
  timestamp?: string;
}

export interface Button {
  type: typeof ComponentType.Button;
  style: number;
  label: string;
  custom_id?: string;
  url?: string;
  disabled?: boolean;
}

export interface SelectOption {
  label: string;
  value: string;
  default?: boolean;
}

export interface StringSelect {
  type: typeof ComponentType.StringSelect;
  custom_id: string;
  options: SelectOption[];
  placeholder?: string;
}

export interface ActionRow {
  type: typeof ComponentType.ActionRow;
  components: (Button | StringSelect)[];
}

export interface MessagePayload {
  content?: string;
  embeds?: Embed[];
  components?: ActionRow[];
  flags?: number;
  allowed_mentions?: { parse: string[] };
}

export interface InteractionResponse {
  type: number;
  data?: MessagePayload;
}

/** A message as the REST API returns it (the fields we read). */
export interface DiscordMessage {
  id: string;
  channel_id: string;
}

export interface DiscordChannel {
  id: string;
  guild_id?: string;
  type?: number;
}

export interface DiscordWebhookObject {
  id: string;
  token?: string;
  channel_id?: string;
  guild_id?: string;
}
