import { regionalModeSetCommand } from './set-mode.js';

/** `privlink privateEndpoints regionalModes disable`: op 10 `{"enabled":false}`. */
export const regionalModeDisableCommand = regionalModeSetCommand(false);
