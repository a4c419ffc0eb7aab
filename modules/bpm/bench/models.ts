// The two bench models, for our engine (FEEL, Zeebe task types) and for bpmn-engine (the same
// graph with its JavaScript equivalents: a JS script and a service function).
const defs = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench_defs" targetNamespace="http://onebox.uz/bench">
${body}
</bpmn:definitions>`;

const flows = (ids: string[]) =>
  ids
    .slice(1)
    .map((to, i) => `<bpmn:sequenceFlow id="f${i + 1}" sourceRef="${ids[i]}" targetRef="${to}" />`)
    .join('\n');

/** (a) start -> script task (total = a + b) -> service task (bench.noop) -> end. */
export const SERVICE_PROCESS = 'bench_service';
export const serviceModel = defs(`<bpmn:process id="${SERVICE_PROCESS}" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:scriptTask id="sum"><bpmn:extensionElements>
    <zeebe:script expression="=a + b" resultVariable="total" />
  </bpmn:extensionElements></bpmn:scriptTask>
  <bpmn:serviceTask id="noop"><bpmn:extensionElements>
    <zeebe:taskDefinition type="bench.noop" />
  </bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:endEvent id="end" />
  ${flows(['start', 'sum', 'noop', 'end'])}
</bpmn:process>`);

export const serviceModelJs = defs(`<bpmn:process id="${SERVICE_PROCESS}" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:scriptTask id="sum" scriptFormat="javascript"><bpmn:script>environment.output.total = environment.variables.a + environment.variables.b; next();</bpmn:script></bpmn:scriptTask>
  <bpmn:serviceTask id="noop" implementation="\${environment.services.noop}" />
  <bpmn:endEvent id="end" />
  ${flows(['start', 'sum', 'noop', 'end'])}
</bpmn:process>`);

/** (b) start -> user task (assigned to the bench user) -> end. */
export const TASK_PROCESS = 'bench_task';
export const taskModel = (assignee: string) =>
  defs(`<bpmn:process id="${TASK_PROCESS}" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:userTask id="approve" name="Approve"><bpmn:extensionElements>
    <zeebe:assignmentDefinition assignee="${assignee}" />
  </bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end" />
  ${flows(['start', 'approve', 'end'])}
</bpmn:process>`);

export const taskModelJs = defs(`<bpmn:process id="${TASK_PROCESS}" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:userTask id="approve" name="Approve" />
  <bpmn:endEvent id="end" />
  ${flows(['start', 'approve', 'end'])}
</bpmn:process>`);
