import mongoose, { Schema } from 'mongoose';

/**
 * One chat message. `offset` is its position in the room (1, 2, 3, …) and
 * `key` the idempotency key the client chose for it, so a retry after a lost
 * ack names the same message.
 */
const messageSchema = new Schema(
  {
    room: { type: String, required: true },
    offset: { type: Number, required: true },
    key: { type: String, required: true },
    body: { type: String, required: true },
    sentAt: { type: Date, required: true },
  },
  // Fail at once when MongoDB is unreachable instead of queueing the write for
  // bufferTimeoutMS (10 s) while the sender waits for its ack.
  { versionKey: false, bufferCommands: false, autoIndex: true },
);

// Two messages can never share a place in a room, whatever the application
// code does: the database refuses the second one (code 11000).
messageSchema.index({ room: 1, offset: 1 }, { unique: true });
// A retry carries the key of its first attempt: the database turns it into a
// duplicate-key error instead of a second message.
messageSchema.index({ room: 1, key: 1 }, { unique: true });

export const Message = mongoose.model('Message', messageSchema);
