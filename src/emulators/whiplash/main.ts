// `npm run emulator:whiplash`: the local Whiplash API emulator on its own.
import { runEmulatorCommand } from '../serve';
import { startWhiplashEmulator } from './index';

runEmulatorCommand({
  name: 'Whiplash',
  script: 'src/emulators/whiplash/main.ts',
  defaultPort: 8091,
  description:
    'It starts without orders. Add some with POST /_emulator/orders (a JSON array of orders)\n' +
    'or with POST /_emulator/orders/generate {"count": 100, "consumers": 40, "stores": 3}.',
  start: (host, port) => startWhiplashEmulator({ host, port }),
  developmentCredentials: (emulator) => ({
    bearerToken: emulator.credentials.accessToken,
    refreshToken: emulator.credentials.refreshToken,
    clientId: emulator.credentials.clientId,
    clientSecret: emulator.credentials.clientSecret,
  }),
});
