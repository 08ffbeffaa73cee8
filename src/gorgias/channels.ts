import type { GorgiasChannel } from './schemas';

/** A channel as sent in a create or update body. */
export interface ChannelInput {
  type: string;
  address: string;
  preferred?: boolean;
}

/** Builds the channels of a new customer: the email as the preferred channel, then the phone when given. */
export function buildNewCustomerChannels(email: string, phone: string | null): ChannelInput[] {
  const channels: ChannelInput[] = [{ type: 'email', address: email, preferred: true }];
  if (phone !== null) {
    channels.push({ type: 'phone', address: phone, preferred: false });
  }
  return channels;
}

/**
 * Builds the full channel list for an update that sets a phone number. Gorgias replaces the whole list when an
 * update contains `channels`, so every existing channel is sent back.
 *
 * A phone channel with that number is kept as it is. Otherwise the number replaces the address of the preferred
 * phone channel, or of the first one, and is appended when the customer has no phone channel. An email channel
 * for `email` is appended when missing, so the update cannot drop the primary address.
 *
 * NOTE: only `type`, `address` and `preferred` are sent back. The Gorgias API docs do not say whether channel ids
 * survive a replaced list, so Gorgias may give the channels new ids.
 */
export function buildUpdatedChannels(existing: GorgiasChannel[], email: string, phone: string): ChannelInput[] {
  const channels: ChannelInput[] = existing.map(toChannelInput);

  const phoneChannels = channels.filter((channel) => channel.type === 'phone');
  if (!phoneChannels.some((channel) => channel.address === phone)) {
    const replaced = phoneChannels.find((channel) => channel.preferred === true) ?? phoneChannels[0];
    if (replaced) {
      replaced.address = phone;
    } else {
      channels.push({ type: 'phone', address: phone, preferred: false });
    }
  }

  if (!channels.some((channel) => channel.type === 'email' && channel.address === email)) {
    const hasEmailChannel = channels.some((channel) => channel.type === 'email');
    channels.push({ type: 'email', address: email, preferred: !hasEmailChannel });
  }
  return channels;
}

function toChannelInput(channel: GorgiasChannel): ChannelInput {
  const input: ChannelInput = { type: channel.type, address: channel.address };
  if (channel.preferred !== undefined) {
    input.preferred = channel.preferred;
  }
  return input;
}
