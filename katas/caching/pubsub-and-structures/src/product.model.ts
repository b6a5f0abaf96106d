import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const productSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    price: { type: Number, required: true, min: 0 },
  },
  { timestamps: true },
);

export type ProductFields = InferSchemaType<typeof productSchema>;

export const Product = mongoose.model('Product', productSchema);
