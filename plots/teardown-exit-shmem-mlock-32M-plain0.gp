# mlockbench plot, standalone: in this folder, run: gnuplot teardown-exit-shmem-mlock-32M-plain0.gp
# Writes teardown-exit-shmem-mlock-32M-plain0.png and teardown-exit-shmem-mlock-32M-plain0.svg from the .dat files beside it.
set encoding utf8
set terminal pngcairo noenhanced size 1100,750 font 'sans,13'
set output 'teardown-exit-shmem-mlock-32M-plain0.png'
set title 'exit: teardown vs processes - shmem, mlock, 32M per process, 0 plain mappers'."\n".'debian-5.10 (boot-1) vs debian-5.10 (boot-2) vs debian-5.10 (boot-3) vs'."\n".'debian-6.1 (boot-1) vs debian-6.1 (boot-2) vs debian-6.1 (boot-3)'
set grid
set border 3
set tics nomirror
set logscale xy
set xlabel "mlocking processes P (log scale)"
set ylabel "teardown, release to last locker done (s, log scale)"
set key top left Left reverse box opaque
set format y '%g'
set xtics (1, 4, 16)
set xrange [0.714286:22.4]
plot 'teardown-exit-shmem-mlock-32M-plain0.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#1f77b4' title 'debian-5.10 (boot-1): b = 0.79 [-0.04, 1.62], R² = 0.993', \
     0.0131345*x**0.793378 with lines dt 2 lw 1.5 lc rgb '#1f77b4' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 1 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#d62728' title 'debian-5.10 (boot-2): b = 0.82 [0.38, 1.26], R² = 0.998', \
     0.0137254*x**0.822507 with lines dt 2 lw 1.5 lc rgb '#d62728' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 2 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#2ca02c' title 'debian-5.10 (boot-3): b = 0.75 [0.57, 0.92], R² = 1.000', \
     0.0150818*x**0.748129 with lines dt 2 lw 1.5 lc rgb '#2ca02c' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 3 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#9467bd' title 'debian-6.1 (boot-1): b = 0.53 [-0.88, 1.93], R² = 0.958', \
     0.0133239*x**0.527608 with lines dt 2 lw 1.5 lc rgb '#9467bd' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 4 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#ff7f0e' title 'debian-6.1 (boot-2): b = 0.52 [-1.15, 2.19], R² = 0.940', \
     0.0138033*x**0.520886 with lines dt 2 lw 1.5 lc rgb '#ff7f0e' notitle, \
     'teardown-exit-shmem-mlock-32M-plain0.dat' index 5 using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 1.2 lc rgb '#8c564b' title 'debian-6.1 (boot-3): b = 0.52 [-0.58, 1.62], R² = 0.973', \
     0.0141335*x**0.519692 with lines dt 2 lw 1.5 lc rgb '#8c564b' notitle, \
     NaN with lines dt 2 lw 1.5 lc rgb '#444444' title 'dashed: fitted c·P^b (least squares, log-log)'

set terminal svg noenhanced size 1100,750 dynamic font 'sans,13' background '#ffffff'
set output 'teardown-exit-shmem-mlock-32M-plain0.svg'
replot
unset output
