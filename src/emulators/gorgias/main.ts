// `npm run emulator:gorgias`: the local Gorgias API emulator on its own.
import { runEmulatorCommand } from '../serve';
import { startGorgiasEmulator } from './index';

runEmulatorCommand({
  name: 'Gorgias',
  script: 'src/emulators/gorgias/main.ts',
  defaultPort: 8090,
  start: (host, port) => startGorgiasEmulator({ host, port }),
  developmentCredentials: (emulator) => ({
    basicAuthUsername: emulator.credentials.username,
    basicAuthKey: emulator.credentials.apiKey,
    bearerToken: emulator.credentials.accessToken,
  }),
});
