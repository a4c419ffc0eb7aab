// The suggestion list under a finder field (products, clients, keepers): a listbox whose
// options are picked by mouse (before the field loses focus) or by the field's arrow keys.
import type { ReactNode } from 'react';

type Props<T> = {
  /** The listbox's id, which the field's `aria-controls` names; options are `${id}-${index}`. */
  id: string;
  label: string;
  visible: boolean;
  items: readonly T[];
  active: number;
  keyOf(item: T): string;
  onPick(item: T): void;
  onHover(index: number): void;
  /** Extra class of each option. */
  optionClass?: string;
  children(item: T): ReactNode;
};

export function FinderOptions<T>({
  id,
  label,
  visible,
  items,
  active,
  keyOf,
  onPick,
  onHover,
  optionClass,
  children,
}: Props<T>) {
  return (
    <div id={id} role="listbox" className="erp-finder-list" hidden={!visible} aria-label={label}>
      {visible
        ? items.map((item, index) => (
            <div
              key={keyOf(item)}
              tabIndex={-1}
              id={`${id}-${index}`}
              role="option"
              aria-selected={index === active}
              className={`erp-finder-option${optionClass ? ` ${optionClass}` : ''}${index === active ? ' erp-finder-option-active' : ''}`}
              onMouseDown={(event) => {
                // Before the field's blur closes the list.
                event.preventDefault();
                onPick(item);
              }}
              onMouseEnter={() => onHover(index)}
            >
              {children(item)}
            </div>
          ))
        : null}
    </div>
  );
}

/** The option an arrow key moves to, round the list. */
export function stepOption(index: number, key: 'ArrowDown' | 'ArrowUp', count: number): number {
  return (index + (key === 'ArrowDown' ? 1 : count - 1)) % count;
}
