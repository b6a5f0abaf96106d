import mongoose, { Schema } from 'mongoose';

const userSchema = new Schema(
  {
    email: { type: String, required: true, trim: true, lowercase: true, unique: true },
    passwordHash: { type: String, required: true },
    /** An administrator can switch an account off; it must stop working at once. */
    disabled: { type: Boolean, default: false },
  },
  { toJSON: { transform: (_doc, ret: Record<string, unknown>) => ({ id: String(ret._id), email: ret.email }) } },
);

export const User = mongoose.model('User', userSchema);
