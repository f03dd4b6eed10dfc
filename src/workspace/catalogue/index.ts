// Importing a catalogue module registers it (the residence process adds one line here).
import './reference.catalogue';
import './residence.catalogue';

export * from './service-catalogue';
