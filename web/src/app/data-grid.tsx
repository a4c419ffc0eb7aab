import {
  type CellKeyDownEvent,
  CellStyleModule,
  type ColDef,
  type FullWidthCellKeyDownEvent,
  type GetRowIdParams,
  type IDatasource,
  type IGetRowsParams,
  InfiniteRowModelModule,
  LocaleModule,
  type Module,
  type RowClickedEvent,
  themeQuartz,
  ValidationModule,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { type I18n, useI18n } from '../i18n/i18n';
import type { ListQuery, Page } from './api';
import { errorMessage } from './errors';
import { type PhoneColumns, phoneLayout } from './phone-layout';
import { FormError } from './ui';
import { useNarrowScreen } from './use-narrow-screen';

// Only the modules our grids use: all community modules would add ~1 MB. CellStyle (2 KB) for
// the "rightAligned" column type; no Tooltip module (37 KB): headers are sized to fit instead.
const MODULES: Module[] = [InfiniteRowModelModule, LocaleModule, CellStyleModule];
if (import.meta.env.DEV) MODULES.push(ValidationModule);

const PAGE_SIZE = 50;

const THEME = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 14,
  headerFontSize: 13,
  headerFontWeight: 600,
  accentColor: '#1d4ed8',
  foregroundColor: '#0f172a',
  headerTextColor: '#475569',
  headerBackgroundColor: '#f8fafc',
  borderColor: '#e2e8f0',
  rowHoverColor: '#f1f5ff',
  wrapperBorderRadius: 10,
  rowHeight: 44,
  // 12 px a side instead of Quartz's 16: lists of seven columns fit a laptop's 1280 px.
  cellHorizontalPadding: 12,
  headerHeight: 42,
});

/** The grid's own texts (loading rows, sort hints) in the app's language. */
function localeText(i18n: I18n): Record<string, string> {
  const { t } = i18n;
  return {
    loadingOoo: t('grid.loading'),
    loadingError: t('grid.loadingError'),
    noRowsToShow: t('grid.noRows'),
    ariaSortableColumn: t('grid.ariaSortable'),
    ariaSkeletonCellLoading: t('grid.loading'),
    ariaSkeletonCellLoadingFailed: t('grid.loadingError'),
    ariaDeferSkeletonCellLoading: t('grid.loading'),
    thousandSeparator: i18n.formatNumber(1000).replace(/\d/g, '') || ' ',
    decimalSeparator: i18n.formatNumber(1.5).replace(/\d/g, '') || ',',
  };
}

export type FetchRows<T> = (query: ListQuery, signal: AbortSignal) => Promise<Page<T>>;

type DataGridProps<T> = {
  columns: ColDef<T>[];
  /** Reads one page; the grid adds limit, offset and sort. */
  fetchRows: FetchRows<T>;
  /** Filters as a string: when it changes, the list starts again from the top. */
  filterKey: string;
  /** Sort used while no column is sorted, e.g. "-createdAt". */
  defaultSort?: string;
  getRowId(row: T): string;
  onRowClicked?(row: T): void;
  /** What an empty list shows: what it would hold and what to do next. */
  empty: ReactNode;
  /** Increase it to read the visible rows again, e.g. after a save. */
  reloadToken?: number;
  testId?: string;
  /** Says how many rows there are, e.g. "12 users". */
  countLabel?(total: number): string;
  /**
   * The columns (colId, or field) a phone-wide screen shows, each with the least width it needs
   * there, sharing the rest: the others are hidden there rather than left off the edge (a clerk
   * with a phone sees the quantity, not the SKU). All columns when not given.
   */
  phoneColumns?: PhoneColumns;
};

/**
 * A list on AG Grid's infinite row model: pages of 50 rows are read from a
 * list endpoint as the user scrolls; clicking a column header sorts on the
 * server.
 */
export function DataGrid<T>({
  columns,
  fetchRows,
  filterKey,
  defaultSort,
  getRowId,
  onRowClicked,
  empty,
  reloadToken = 0,
  testId,
  countLabel,
  phoneColumns,
}: DataGridProps<T>) {
  const i18n = useI18n();
  const narrow = useNarrowScreen();
  const shownColumns = useMemo(
    () => (narrow && phoneColumns ? phoneLayout(columns, phoneColumns) : columns),
    [narrow, phoneColumns, columns],
  );
  const grid = useRef<AgGridReact<T>>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fetchRef = useRef(fetchRows);
  fetchRef.current = fetchRows;
  const i18nRef = useRef(i18n);
  i18nRef.current = i18n;

  // A new datasource (filters changed) makes the grid start from the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filters inside fetchRows.
  const datasource = useMemo<IDatasource>(() => {
    const controllers = new Set<AbortController>();
    return {
      getRows(params: IGetRowsParams) {
        const controller = new AbortController();
        controllers.add(controller);
        const sortItem = params.sortModel[0];
        const sort = sortItem ? `${sortItem.sort === 'desc' ? '-' : ''}${sortItem.colId}` : defaultSort;
        const limit = Math.min(params.endRow - params.startRow, 500);
        fetchRef
          .current({ limit, offset: params.startRow, sort }, controller.signal)
          .then((page) => {
            setTotal(page.total);
            setError(null);
            params.successCallback(page.items, page.total);
          })
          .catch((reason: unknown) => {
            if (controller.signal.aborted) return;
            setError(errorMessage(reason, i18nRef.current));
            params.failCallback();
          })
          .finally(() => controllers.delete(controller));
      },
      destroy() {
        for (const controller of controllers) controller.abort();
      },
    };
  }, [filterKey, defaultSort]);

  useEffect(() => {
    if (reloadToken > 0) grid.current?.api?.refreshInfiniteCache();
  }, [reloadToken]);

  const defaultColDef = useMemo<ColDef<T>>(() => ({ sortable: false, resizable: true, minWidth: 100 }), []);
  const texts = useMemo(() => localeText(i18n), [i18n]);

  return (
    <div className="data-grid" data-testid={testId}>
      <FormError message={error} />
      <div className={`grid-wrap${onRowClicked ? ' grid-clickable' : ''}`}>
        <AgGridReact<T>
          key={i18n.locale}
          ref={grid}
          modules={MODULES}
          theme={THEME}
          rowModelType="infinite"
          datasource={datasource}
          cacheBlockSize={PAGE_SIZE}
          maxBlocksInCache={20}
          infiniteInitialRowCount={PAGE_SIZE}
          columnDefs={shownColumns}
          defaultColDef={defaultColDef}
          localeText={texts}
          getRowId={(params: GetRowIdParams<T>) => getRowId(params.data)}
          onRowClicked={(event: RowClickedEvent<T>) => {
            if (event.data && onRowClicked) onRowClicked(event.data);
          }}
          onCellKeyDown={(event: CellKeyDownEvent<T> | FullWidthCellKeyDownEvent<T>) => {
            // Enter on a focused cell opens the row, as a click does.
            const key = event.event instanceof KeyboardEvent ? event.event.key : '';
            if (key === 'Enter' && event.data && onRowClicked) onRowClicked(event.data);
          }}
          suppressNoRowsOverlay
          suppressCellFocus={false}
        />
        {total === 0 ? <div className="grid-empty">{empty}</div> : null}
      </div>
      {countLabel && total !== null && total > 0 ? (
        <p className="grid-count muted small">{countLabel(total)}</p>
      ) : null}
    </div>
  );
}
