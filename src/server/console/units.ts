/**
 * Units, enrollment codes and tablets from the console: the same operations
 * as the admin CLI (admin.ts), plus the printable enrollment sheet's content
 * (the code, the link it stands for and its QR code as a module matrix the
 * console draws as SVG) and an audit entry for each change.
 */
import QRCode from 'qrcode';
import type { DeviceView, EnrollmentSheet, UnitView } from '../../domain/console/api';
import { readableUnitIds } from '../../domain/console/roles';
import { createEnrollmentCode, createUnit, enrollmentUrl, renameUnit, revokeDevice } from '../admin';
import type { AccountRow, Device } from '../storage/types';
import { audit, type Actor } from './audit';
import type { ConsoleContext } from './context';
import { consoleError } from './errors';
import { listUnitRecords } from './figures';

export async function unitViews(ctx: ConsoleContext, account: AccountRow): Promise<UnitView[]> {
  const units = await listUnitRecords(ctx);
  const readable = new Set(
    readableUnitIds(
      account,
      units.map((u) => u.id),
    ),
  );
  const counts = new Map((await ctx.storage.read((tx) => tx.console.unitCounts(ctx.now()))).map((c) => [c.unitId, c]));
  return units
    .filter((u) => readable.has(u.id))
    .map((u) => ({
      id: u.id,
      municipality: u.municipality,
      name: u.name,
      responseTargetDays: u.responseTargetDays,
      activeChangeLimit: u.activeChangeLimit,
      createdAt: u.createdAt,
      tablets: counts.get(u.id)?.tablets ?? 0,
      openCodes: counts.get(u.id)?.openCodes ?? 0,
    }));
}

export async function addUnit(ctx: ConsoleContext, actor: Actor, input: { municipality: string; name: string }): Promise<string> {
  const now = ctx.now();
  const unit = await createUnit(ctx.storage, input, now);
  await ctx.storage.write((tx) =>
    audit(tx, now, actor, 'unit.create', { type: 'unit', id: unit.id }, { name: unit.name, municipality: unit.municipality }),
  );
  return unit.id;
}

export async function changeUnitName(ctx: ConsoleContext, actor: Actor, unitId: string, name: string): Promise<void> {
  const now = ctx.now();
  const unit = await renameUnit(ctx.storage, unitId, name, now).catch((e: unknown) => {
    if (e instanceof Error && e.message.startsWith('no unit')) throw consoleError('notFound', 'no such unit');
    throw e;
  });
  await ctx.storage.write((tx) => audit(tx, now, actor, 'unit.rename', { type: 'unit', id: unit.id }, { name }));
}

/** A QR code's modules, row by row, as '1' (dark) and '0'. */
export function qrMatrix(text: string): { size: number; modules: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, modules: Array.from(modules.data, (m) => (m ? '1' : '0')).join('') };
}

export async function newEnrollmentSheet(
  ctx: ConsoleContext,
  actor: Actor,
  unitId: string,
  ttlHours: number,
  baseUrl: string,
): Promise<EnrollmentSheet> {
  const now = ctx.now();
  const unit = (await listUnitRecords(ctx)).find((u) => u.id === unitId);
  if (!unit) throw consoleError('notFound', 'no such unit');
  const { code, expiresAt } = await createEnrollmentCode(ctx.storage, { unitId, ttlHours }, now);
  await ctx.storage.write((tx) => audit(tx, now, actor, 'code.create', { type: 'unit', id: unitId }, { expiresAt }));
  const url = enrollmentUrl(baseUrl, code);
  return { unitId, unitName: unit.name, municipality: unit.municipality, code, url, expiresAt, qr: qrMatrix(url) };
}

export function deviceView(d: Device): DeviceView {
  return {
    deviceId: d.deviceId,
    unitId: d.unitId,
    label: d.label,
    createdAt: d.createdAt,
    lastSeenAt: d.lastSeenAt,
    appVersion: d.appVersion,
    unsent: d.unsent,
    storagePersisted: d.storagePersisted,
    revokedAt: d.revokedAt,
  };
}

export async function revokeTablet(ctx: ConsoleContext, actor: Actor, deviceId: string): Promise<void> {
  const now = ctx.now();
  const device = await ctx.storage.read((tx) => tx.getDevice(deviceId));
  if (!device) throw consoleError('notFound', 'no such tablet');
  if (await revokeDevice(ctx.storage, deviceId, now))
    await ctx.storage.write((tx) =>
      audit(tx, now, actor, 'device.revoke', { type: 'device', id: deviceId }, { unitId: device.unitId, label: device.label }),
    );
}
