package io.ocular.ui.common;

import io.ocular.model.OcularException;

/**
 * Instance search ("find this object": local features verified geometrically) on or off, as Settings shows
 * it. Blocking: call on a background thread. The app backs it with the engine; tests with a fake.
 */
public interface InstanceSearchSwitch {

    /** Whether instance search is on. */
    boolean isOn();

    /**
     * Turns instance search on or off.
     *
     * @throws OcularException with a message to show as is (e.g. the photo model is not installed)
     */
    void set(boolean on);

    /** Where there is no engine to ask (demos, tests): off, and turning it on says why not. */
    static InstanceSearchSwitch unavailable() {
        return new InstanceSearchSwitch() {
            @Override
            public boolean isOn() {
                return false;
            }

            @Override
            public void set(boolean on) {
                if (on) {
                    throw new OcularException("Instance search is not available here.");
                }
            }
        };
    }
}
