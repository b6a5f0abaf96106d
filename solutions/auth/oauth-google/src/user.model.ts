import mongoose, { Schema } from 'mongoose';

const userSchema = new Schema(
  {
    email: { type: String, required: true, trim: true, lowercase: true, unique: true },
    name: { type: String, default: '' },
    // Present for accounts that signed up with a password (another kata's work).
    passwordHash: { type: String },
    // Google's `sub`: the one identifier that never changes or gets reassigned
    // (an e-mail address can do both). Unique, and only on linked accounts.
    googleSub: { type: String, unique: true, sparse: true },
  },
  {
    toJSON: {
      transform: (_doc, ret: Record<string, unknown>) => ({ id: String(ret._id), email: ret.email, name: ret.name, googleSub: ret.googleSub }),
    },
  },
);

export const User = mongoose.model('User', userSchema);
