// A service task runs a real module action in the step's transaction: erp.getStock feeds a
// gateway; erp.issueShipment without enough stock is a BPMN error STOCK_INSUFFICIENT caught by an
// error boundary, and nothing of the failed shipment stays.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { makeClient } from '../crm/test-helpers.js';
import { makeProduct, makeWarehouse, post } from '../erp/inventory/test-fixtures.js';
import { bpmn, chain, deployOk, flow, instance, pid, start } from './test-helpers.js';

describeEachBackend('bpm service tasks on ERP actions', (t) => {
  it('reads stock with erp.getStock and ships with erp.issueShipment; not enough stock is caught by errorCode', async () => {
    const product = await makeProduct(t());
    const warehouse = await makeWarehouse(t());
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '10' }],
    });
    expect(receipt.status).toBe(201);

    const id = pid('ship');
    await deployOk(
      t(),
      bpmn(
        id,
        `<bpmn:startEvent id="start" />
        <bpmn:serviceTask id="stock" name="Check stock"><bpmn:extensionElements>
          <zeebe:taskDefinition type="erp.getStock" />
          <zeebe:ioMapping>
            <zeebe:input source="=productId" target="productId" /><zeebe:input source="=warehouseId" target="warehouseId" />
            <zeebe:output source="=number(items[1].available)" target="available" />
          </zeebe:ioMapping>
        </bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:serviceTask id="ship" name="Ship"><bpmn:extensionElements>
          <zeebe:taskDefinition type="erp.issueShipment" />
          <zeebe:ioMapping>
            <zeebe:input source="=clientId" target="clientId" /><zeebe:input source="=warehouseId" target="warehouseId" />
            <zeebe:input source="=[{productId: productId, quantity: string(quantity)}]" target="lines" />
            <zeebe:output source="=id" target="shipmentId" />
          </zeebe:ioMapping>
        </bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:boundaryEvent id="short" attachedToRef="ship"><bpmn:extensionElements><zeebe:ioMapping>
          <zeebe:output source="=errorCode" target="failure" />
          <zeebe:output source="=errorDetails.lines" target="shortLines" />
        </zeebe:ioMapping></bpmn:extensionElements><bpmn:errorEventDefinition errorRef="stockError" /></bpmn:boundaryEvent>
        <bpmn:endEvent id="shipped" /><bpmn:endEvent id="backorder" />
        ${chain(['start', 'stock', 'ship', 'shipped'])}${flow('toBackorder', 'short', 'backorder')}`,
        '<bpmn:error id="stockError" name="Not enough stock" errorCode="STOCK_INSUFFICIENT" />',
      ),
    );
    const base = { productId: product.id, warehouseId: warehouse.id, clientId: (await makeClient(t())).id };

    const ok = await start(t(), id, { ...base, quantity: 4 });
    expect(ok.state).toBe('completed');
    const okView = await instance(t(), ok.id);
    expect(okView.variables.available).toBe(10);
    expect(okView.variables.shipmentId).toEqual(expect.any(String));
    expect(okView.history.map((h) => h.elementId)).toEqual(['start', 'stock', 'ship', 'shipped']);

    const short = await start(t(), id, { ...base, quantity: 50 });
    expect(short.state).toBe('completed');
    const shortView = await instance(t(), short.id);
    expect(shortView.variables.available).toBe(6);
    expect(shortView.variables).not.toHaveProperty('shipmentId');
    // the boundary mapped the action's coded error and its short lines into the process
    expect(shortView.variables.failure).toBe('STOCK_INSUFFICIENT');
    expect(shortView.variables.shortLines).toEqual([
      expect.objectContaining({
        productId: product.id,
        warehouseId: warehouse.id,
        available: '6.000',
        requested: '50.000',
      }),
    ]);
    expect(shortView.variables).not.toHaveProperty('errorDetails');
    expect(shortView.history.map((h) => [h.elementId, h.state])).toEqual([
      ['start', 'completed'],
      ['stock', 'completed'],
      ['ship', 'terminated'],
      ['short', 'completed'],
      ['backorder', 'completed'],
    ]);
    // only the first shipment exists: the refused one rolled back to its savepoint
    const docs = await t().request(
      'GET',
      `/api/erp/stock-documents?type=shipment&warehouseId=${warehouse.id}`,
      {
        cookie: t().admin.cookie,
      },
    );
    expect(docs.body.items).toHaveLength(1);
  });
});
