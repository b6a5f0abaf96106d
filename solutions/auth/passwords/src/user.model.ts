import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const userSchema = new Schema(
  {
    // trim and lowercase run on every save, so one person has one spelling of
    // their address; `unique` creates an index, the only thing that can see two
    // requests racing for the same e-mail (a pre-check with findOne cannot).
    email: { type: String, required: true, trim: true, lowercase: true, unique: true },
    passwordHash: { type: String, required: true },
  },
  {
    // res.json(user) and any log line go through toJSON: the hash must not
    // travel, even to the user it belongs to (it is an offline-crackable secret).
    toJSON: {
      transform(_doc, ret: Record<string, unknown>) {
        const { _id, email } = ret;
        return { id: String(_id), email };
      },
    },
  },
);

export type UserFields = InferSchemaType<typeof userSchema>;
export const User = mongoose.model('User', userSchema);
