import mongoose, { Schema } from 'mongoose';
import { ROLE_NAMES } from './permissions';

const userSchema = new Schema(
  {
    email: { type: String, required: true, trim: true, lowercase: true, unique: true },
    name: { type: String, required: true, trim: true, maxlength: 100 },
    role: { type: String, enum: ROLE_NAMES, default: 'viewer' },
  },
  { toJSON: { transform: (_doc, ret: Record<string, unknown>) => ({ id: String(ret._id), email: ret.email, name: ret.name, role: ret.role }) } },
);

const articleSchema = new Schema(
  {
    title: { type: String, required: true, trim: true, maxlength: 200 },
    body: { type: String, default: '' },
    authorId: { type: String, required: true },
  },
  { toJSON: { transform: (_doc, ret: Record<string, unknown>) => ({ id: String(ret._id), title: ret.title, body: ret.body, authorId: ret.authorId }) } },
);

export const User = mongoose.model('User', userSchema);
export const Article = mongoose.model('Article', articleSchema);
