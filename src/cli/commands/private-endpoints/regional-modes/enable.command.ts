import { regionalModeSetCommand } from './set-mode.js';

/** `privlink privateEndpoints regionalModes enable`: op 10 `{"enabled":true}`. */
export const regionalModeEnableCommand = regionalModeSetCommand(true);
