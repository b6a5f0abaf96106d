import mongoose, { Schema } from 'mongoose';

/** What a user may do, from least to most. */
export const roles = ['guest', 'member', 'admin'] as const;
export type Role = (typeof roles)[number];

const userSchema = new Schema({
  _id: { type: String, required: true },
  name: { type: String, required: true },
  role: { type: String, enum: roles, required: true },
  // Set when an admin revokes the user: tokens already issued stay valid until
  // they expire, so every handshake must look here.
  revokedAt: { type: Date, default: null },
});

const conversationSchema = new Schema({
  _id: { type: String, required: true },
  title: { type: String, required: true },
  // The user ids allowed to read and write in the conversation.
  members: { type: [String], default: [], index: true },
});

export const User = mongoose.model('User', userSchema);
export const Conversation = mongoose.model('Conversation', conversationSchema);

/** Who is on the other end of a socket, as the handshake established it. */
export interface SocketUser {
  id: string;
  name: string;
  role: Role;
}
