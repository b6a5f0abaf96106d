import mongoose, { Schema } from 'mongoose';

const refreshTokenSchema = new Schema({
  // A SHA-256 of the token, never the token: a leaked collection is then a list
  // of useless digests. (A fast hash is enough: the token is 256 random bits,
  // not a guessable password.)
  tokenHash: { type: String, required: true, unique: true },
  // Every token rotated from one login shares its family: replaying a used
  // one revokes them all, the thief's and the owner's.
  familyId: { type: String, required: true, index: true },
  userId: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date, default: null },
  revokedAt: { type: Date, default: null },
});

// A TTL index: MongoDB deletes each token once its expiresAt has passed, so the
// collection holds live sessions only instead of growing with every refresh.
// (An expired token is refused by the query anyway; this is housekeeping.)
refreshTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const RefreshToken = mongoose.model('RefreshToken', refreshTokenSchema);
