import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const productSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    sku: { type: String, required: true, trim: true, maxlength: 64 },
    price: { type: Number, required: true, min: 0 },
    stock: { type: Number, required: true, min: 0 },
    tags: { type: [String], default: [] },
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
  },
  { timestamps: true },
);
productSchema.index({ tags: 1, createdAt: -1 });

export type ProductFields = InferSchemaType<typeof productSchema>;

export const Product = mongoose.model('Product', productSchema);
