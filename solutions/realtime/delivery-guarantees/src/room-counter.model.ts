import mongoose, { Schema } from 'mongoose';

/** The last offset handed out in a room: `{ _id: room, last: 42 }`. */
const roomCounterSchema = new Schema(
  {
    _id: { type: String, required: true },
    last: { type: Number, required: true, default: 0 },
  },
  { versionKey: false, bufferCommands: false },
);

export const RoomCounter = mongoose.model('RoomCounter', roomCounterSchema);
