/** A chat message as stored and as clients receive it. */
export interface ChatMessage {
  id: string;
  room: string;
  /** The sender's user id, taken from the authenticated connection, never from the payload. */
  from: string;
  text: string;
  sentAt: string;
}

/**
 * Where messages are kept. The server only acknowledges a message once `save`
 * has resolved: an ack is a promise that the message is stored.
 */
export interface MessageStore {
  save(message: ChatMessage): Promise<void>;
  /** The newest `limit` messages of a room, oldest first. */
  recent(room: string, limit: number): Promise<ChatMessage[]>;
}

/** In memory, asynchronous like a database would be. */
export function createMemoryStore(): MessageStore & { all(): ChatMessage[] } {
  const messages: ChatMessage[] = [];
  return {
    async save(message) {
      await new Promise((resolve) => setImmediate(resolve));
      messages.push(message);
    },
    async recent(room, limit) {
      return messages.filter((message) => message.room === room).slice(-limit);
    },
    all: () => [...messages],
  };
}
