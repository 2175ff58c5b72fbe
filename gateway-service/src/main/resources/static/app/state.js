// The app's state: one object every part reads and changes, its constants, and a DOM lookup.


export const SESSION_KEY = 'erpchat.session';
export const HISTORY_PAGE = 30;
export const TYPING_EXPIRY_MS = 10000;

export const $ = (id) => document.getElementById(id);

export const state = {
  config: { dev_token_url: '', message_service_url: '', presence_service_url: '' },
  session: null, // {token, user_id, name, expires_at, dev}
  client: null,
  me: null, // {id, display_name}
  conversations: new Map(), // conversation id -> conversation view (REST shape), kept current from events
  histories: new Map(), // conversation id -> {stored: Map id -> message, pending: Map client_msg_id -> entry, ...}
  drafts: new Map(), // peer id -> {pending: Map} for a private chat that has no conversation yet
  users: new Map(), // user id -> display name
  presence: new Map(), // user id -> boolean
  typing: new Map(), // conversation id -> Map(user id -> expiry timer)
  peerRead: new Map(), // conversation id -> highest seq another participant has read
  active: null, // {kind: 'conversation', id} or {kind: 'draft', peerId}
  everOpen: false,
  wasResumed: false,
};
