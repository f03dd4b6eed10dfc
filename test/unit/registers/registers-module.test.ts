import { loadConfig } from '../../../src/config/config';
import { RegistersModule } from '../../../src/integrations/registers.module';
import { SimulatorsController } from '../../../src/integrations/sim/simulators.controller';

describe('RegistersModule', () => {
  it('mounts the simulator dev endpoint outside production only', () => {
    expect(RegistersModule.forRoot(loadConfig({ NODE_ENV: 'development' })).controllers).toEqual([
      SimulatorsController,
    ]);
    expect(
      RegistersModule.forRoot(loadConfig({ NODE_ENV: 'production', DEMO_MODE: 'true' }))
        .controllers,
    ).toEqual([]);
    expect(
      RegistersModule.forRoot(loadConfig({ NODE_ENV: 'development', REGISTERS: 'gateway' }))
        .controllers,
    ).toEqual([]);
  });

  it('names a wrong REGISTERS value', () => {
    expect(() => loadConfig({ REGISTERS: 'real' })).toThrow(
      /REGISTERS: expected simulator or gateway/,
    );
  });
});
