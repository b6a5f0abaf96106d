import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const userSchema = new Schema({
  email: { type: String, required: true, trim: true, lowercase: true },
  handle: { type: String, required: true, trim: true },
  name: { type: String, required: true, trim: true },
  age: { type: Number, min: 0 },
});

// Uniqueness is a database rule (a unique index), not a validator: only the
// database can see two requests racing for the same email.
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ handle: 1 }, { unique: true, name: 'users_handle_unique' });

export type UserFields = InferSchemaType<typeof userSchema>;
export const User = mongoose.model('User', userSchema);
