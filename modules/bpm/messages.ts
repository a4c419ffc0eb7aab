// The BPM module's error texts, keyed by error code, in the three languages.
import type { MessageCatalogue } from '../../server/core/messages.js';

export const bpmMessages: MessageCatalogue = {
  en: {
    BPM_DEPLOYMENT_ONE_BPMN: 'Send exactly one .bpmn file (this request has {count}).',
    BPM_DEPLOYMENT_FILE_TYPE: 'The file "{name}" is neither a .bpmn nor a .form file.',
    BPM_FORM_FIELD_REQUIRED: 'The form requires this field.',
    BPM_TASK_NOT_CLAIMED: 'Nobody has claimed the task.',
    BPMN_INVALID: 'The model cannot be deployed: {count} problem(s).',
    BPMN_UNREADABLE: 'The file is not readable BPMN 2.0 XML: {reason}',
    MESSAGE_NOT_CORRELATED: 'No process is waiting for the message "{name}" with this key.',
    BPM_TASK_NOT_OPEN: 'The task is already completed or cancelled.',
    BPM_TASK_ASSIGNED: 'The task is assigned to someone else.',
    BPM_INSTANCE_ENDED: 'The process instance has already ended.',
    BPM_INCIDENT_RESOLVED: 'The incident is already resolved.',
    BPM_ELEMENT_NOT_ACTIVE: 'This step of the process is no longer active.',
    BPM_NO_NONE_START:
      'The process "{processId}" has no none start event: it starts by its timer, message or signal.',
  },
  ru: {
    BPM_DEPLOYMENT_ONE_BPMN: 'Нужен ровно один файл .bpmn (в запросе: {count}).',
    BPM_DEPLOYMENT_FILE_TYPE: 'Файл «{name}» не является файлом .bpmn или .form.',
    BPM_FORM_FIELD_REQUIRED: 'Форма требует заполнить это поле.',
    BPM_TASK_NOT_CLAIMED: 'Задачу никто не взял.',
    BPMN_INVALID: 'Модель нельзя развернуть: проблем — {count}.',
    BPMN_UNREADABLE: 'Файл не является читаемым BPMN 2.0 XML: {reason}',
    MESSAGE_NOT_CORRELATED: 'Ни один процесс не ждёт сообщение «{name}» с этим ключом.',
    BPM_TASK_NOT_OPEN: 'Задача уже выполнена или отменена.',
    BPM_TASK_ASSIGNED: 'Задача назначена другому сотруднику.',
    BPM_INSTANCE_ENDED: 'Экземпляр процесса уже завершён.',
    BPM_INCIDENT_RESOLVED: 'Инцидент уже разрешён.',
    BPM_ELEMENT_NOT_ACTIVE: 'Этот шаг процесса уже не активен.',
    BPM_NO_NONE_START:
      'У процесса «{processId}» нет простого стартового события: он запускается таймером, сообщением или сигналом.',
  },
  uz: {
    BPM_DEPLOYMENT_ONE_BPMN: 'Aynan bitta .bpmn fayl yuboring (soʻrovda {count} ta).',
    BPM_DEPLOYMENT_FILE_TYPE: '"{name}" fayli .bpmn ham, .form ham emas.',
    BPM_FORM_FIELD_REQUIRED: 'Shakl bu maydonni toʻldirishni talab qiladi.',
    BPM_TASK_NOT_CLAIMED: 'Vazifani hech kim olmagan.',
    BPMN_INVALID: 'Modelni joylashtirib boʻlmaydi: {count} ta muammo.',
    BPMN_UNREADABLE: 'Fayl oʻqiladigan BPMN 2.0 XML emas: {reason}',
    MESSAGE_NOT_CORRELATED: '"{name}" xabarini bu kalit bilan hech bir jarayon kutmayapti.',
    BPM_TASK_NOT_OPEN: 'Vazifa allaqachon bajarilgan yoki bekor qilingan.',
    BPM_TASK_ASSIGNED: 'Vazifa boshqa xodimga biriktirilgan.',
    BPM_INSTANCE_ENDED: 'Jarayon nusxasi allaqachon tugagan.',
    BPM_INCIDENT_RESOLVED: 'Insident allaqachon hal qilingan.',
    BPM_ELEMENT_NOT_ACTIVE: 'Jarayonning bu qadami endi faol emas.',
    BPM_NO_NONE_START:
      '"{processId}" jarayonida oddiy boshlanish hodisasi yoʻq: u taymer, xabar yoki signal bilan boshlanadi.',
  },
};
