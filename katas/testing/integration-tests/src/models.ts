import mongoose, { Schema, type Types } from 'mongoose';

/**
 * The unique index on `email` is what makes "one account per address" hold:
 * a findOne() before the insert cannot, since two registrations can both find
 * nothing before either inserts. Emails are stored lower-cased, so the index
 * also refuses "Ada@Example.com" next to "ada@example.com".
 */
const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true, maxlength: 254, match: /^[^\s@]+@[^\s@]+\.[^\s@]+$/ },
    name: { type: String, required: true, trim: true, minlength: 1, maxlength: 100 },
    passwordHash: { type: String, required: true },
  },
  { timestamps: true },
);

const noteSchema = new Schema(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true, trim: true, minlength: 1, maxlength: 200 },
    body: { type: String, default: '', maxlength: 10_000 },
  },
  { timestamps: true },
);
// Serves "my notes, newest first" without a scan or an in-memory sort.
noteSchema.index({ ownerId: 1, createdAt: -1, _id: -1 });

export interface UserRecord {
  _id: Types.ObjectId;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface NoteRecord {
  _id: Types.ObjectId;
  ownerId: Types.ObjectId;
  title: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

export const User = mongoose.model('User', userSchema);
export const Note = mongoose.model('Note', noteSchema);

/** Resolves once every index exists: before it, a unique index may not refuse a duplicate yet. */
export async function ensureIndexes(): Promise<void> {
  await Promise.all([User.init(), Note.init()]);
}
