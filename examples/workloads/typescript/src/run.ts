import { CustomerBook } from './customers.js';
import { makeOrders } from './orders.js';
import { formatSku, popularSkus } from './skus.js';

const orders = makeOrders(8000);
const book = new CustomerBook(orders);
console.log(`${book.count()} orders; top customers: ${book.topSpenders(3).join(', ')}`);
console.log(`popular: ${popularSkus(orders, 12).slice(0, 5).map(formatSku).join(', ')}`);
