import mongoose, { Schema } from 'mongoose';

// TODO: the token is stored as it is (a database leak hands out live sessions), with no family, no expiry, no used or revoked mark.
const refreshTokenSchema = new Schema({
  token: { type: String, required: true },
  userId: { type: String, required: true },
});

export const RefreshToken = mongoose.model('RefreshToken', refreshTokenSchema);
