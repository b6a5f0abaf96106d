import mongoose, { Schema, type InferSchemaType } from 'mongoose';

// JSON.parse reads 1e400 as Infinity, which `min: 0` lets through and MongoDB
// would store; and a `tags: null` that reached the database would break every
// later read of the product. Both are refused here, for every write path.
const finite = { validator: Number.isFinite, message: 'must be a finite number.' };
const listOfStrings = { validator: (value: unknown) => Array.isArray(value), message: 'must be a list of strings.' };

const productSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    sku: { type: String, required: true, trim: true, maxlength: 64 },
    price: { type: Number, required: true, min: 0, validate: finite },
    stock: { type: Number, required: true, min: 0, validate: finite },
    tags: { type: [String], default: [], validate: listOfStrings },
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
  },
  { timestamps: true },
);
productSchema.index({ tags: 1, createdAt: -1 });

export type ProductFields = InferSchemaType<typeof productSchema>;

export const Product = mongoose.model('Product', productSchema);
