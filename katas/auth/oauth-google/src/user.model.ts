import mongoose, { Schema } from 'mongoose';

const userSchema = new Schema(
  {
    email: { type: String, required: true, trim: true, lowercase: true, unique: true },
    name: { type: String, default: '' },
    // Present for accounts that signed up with a password (another kata's work).
    passwordHash: { type: String },
    // TODO: nothing records which Google account a user is: e-mail is the only link.
  },
  {
    toJSON: {
      transform: (_doc, ret: Record<string, unknown>) => ({ id: String(ret._id), email: ret.email, name: ret.name, googleSub: ret.googleSub }),
    },
  },
);

export const User = mongoose.model('User', userSchema);
