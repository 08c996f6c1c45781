package io.ocular.app;

import io.ocular.ui.common.UiSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WindowStateTest {

    @Test
    void roundTripsAndRejectsGarbage() {
        UiSettings s = UiSettings.inMemory();
        assertThat(WindowState.load(s)).isEqualTo(WindowState.DEFAULT);
        new WindowState(10, 20, 1000, 700, false).save(s);
        assertThat(WindowState.load(s)).isEqualTo(new WindowState(10, 20, 1000, 700, false));
        s.put(WindowState.KEY, "1,2,3");
        assertThat(WindowState.load(s)).isEqualTo(WindowState.DEFAULT);
        s.put(WindowState.KEY, "0,0,50,50,false");
        assertThat(WindowState.load(s)).isEqualTo(WindowState.DEFAULT);
        s.put(WindowState.KEY, "a,b,c,d,e");
        assertThat(WindowState.load(s)).isEqualTo(WindowState.DEFAULT);
    }
}
