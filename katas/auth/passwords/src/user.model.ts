import mongoose, { Schema, type InferSchemaType } from 'mongoose';

// TODO: "Ada@Example.com " and "ada@example.com" are two accounts, nothing in the database keeps e-mails unique, and toJSON() hands out the hash.
const userSchema = new Schema({
  email: { type: String, required: true },
  passwordHash: { type: String, required: true },
});

export type UserFields = InferSchemaType<typeof userSchema>;
export const User = mongoose.model('User', userSchema);
