import { ProductsView } from './products-page';

/** Products whose total stock is below their reorder level: what to order. */
export default function ReorderPage() {
  return <ProductsView base="/erp/reorder" reorder />;
}
